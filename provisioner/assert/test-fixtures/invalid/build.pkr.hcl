build {
  sources = ["source.null.target"]
  provisioner "assert" {
    check_timeout = "-5s"
    retry_delay   = "5x"
    file { mode = "0644" }
    file {
      path = "/etc/x"
      mode = "999"
      type = "folder"
      content { matches = ["(unclosed"] }
    }
    package {
      name    = "nginx"
      version = "latest"
    }
    service { name = "nginx; reboot" }
    port { port = 70000 }
    port { port = 80.5 }
    port {
      port     = 22
      protocol = "sctp"
      address  = "localhost"
    }
    user {
      name   = "ghost"
      exists = false
      uid    = 1000
    }
    command {
      run         = ""
      exit_status = 300
      timeout     = "soon"
    }
  }
}
