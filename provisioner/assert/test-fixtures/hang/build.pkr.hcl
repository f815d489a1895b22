build {
  sources = ["source.null.target"]
  provisioner "assert" {
    file { path = "/etc/hostname" }
    command {
      run     = "sleep 300 && echo slept-300"
      timeout = "10m"
    }
  }
}
