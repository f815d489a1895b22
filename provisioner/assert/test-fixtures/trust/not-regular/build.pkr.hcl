# Content checks on paths that are not regular files: a folder, a fifo that nobody writes to, and
# a device that never ends. Each is an error at once, never a pass, a hang or a megabyte of zeros.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    file {
      path = "/etc/ssh/sshd_config.d"
      content { not_matches = ["PasswordAuthentication yes"] }
    }
    file {
      path = "/tmp/trust.fifo"
      content { contains = ["x"] }
    }
    file {
      path = "/dev/zero"
      content { not_contains = ["x"] }
    }
  }
}
