# A command that prints more than is kept for matching: its output cannot be judged.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    command {
      run    = "yes | head -c 3000000"
      stdout { contains = ["y"] }
    }
  }
}
