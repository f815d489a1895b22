source "null" "nothing" {
  communicator = "none"
}
build {
  sources = ["source.null.nothing"]
  provisioner "assert" {
    file { path = "/etc/passwd" }
  }
}
