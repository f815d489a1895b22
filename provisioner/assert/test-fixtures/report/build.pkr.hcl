# What the build log says of passing, failing and retried checks: the sample in
# docs/provisioners/assert.mdx is this build's output.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    retries     = 1
    retry_delay = "1s"
    package {
      name    = "nginx"
      version = ">= 1.24"
    }
    package {
      name      = "telnetd"
      installed = false
    }
    service {
      name    = "nginx"
      enabled = true
      running = true
    }
    port { port = 80 }
    port {
      port      = 23
      listening = false
    }
    file {
      path  = "/etc/nginx/nginx.conf"
      mode  = "0600"
      owner = "root"
    }
    file {
      path        = "/etc/nginx/nginx.conf"
      description = "logs errors"
      content { contains = ["error_log  /var/log/nginx/error.log;"] }
    }
    command {
      run         = "printf 'HTTP/1.1 200 OK\\r\\nServer: nginx\\r\\n'"
      description = "server header"
      stdout { matches = ["^Server: nginx$"] }
    }
    command {
      # fails on the first probe, passes on the retry
      run = "if [ -e /tmp/assert-report ]; then rm /tmp/assert-report; else touch /tmp/assert-report; exit 1; fi"
    }
  }
}
