# An image certified by its checks. Two sources build at once; each makes a tarball in the
# instance, downloads it as its artifact (the file provisioner, then artifice in the chain), and
# the assert-attestation post-processor certifies it with the results of both assert
# provisioners of its build.
variable "out" { type = string }
variable "key_file" { type = string }

source "null" "second" {
  communicator         = "ssh"
  ssh_host             = var.host
  ssh_username         = var.ssh_user
  ssh_private_key_file = var.ssh_key
}

build {
  sources = ["source.null.target", "source.null.second"]

  provisioner "shell" {
    inline = [
      "mkdir -p /tmp/attest-${source.name}",
      "echo ${source.name} > /tmp/attest-${source.name}/built-by",
      "tar -czf /tmp/attest-${source.name}.tar.gz -C /tmp/attest-${source.name} built-by -C /etc nginx",
    ]
  }
  provisioner "file" {
    direction   = "download"
    source      = "/tmp/attest-${source.name}.tar.gz"
    destination = "${var.out}/${source.name}.tar.gz"
  }
  provisioner "shell" {
    inline = ["rm -rf /tmp/attest-${source.name} /tmp/attest-${source.name}.tar.gz"]
  }

  provisioner "assert" {
    package { name = "nginx" }
    service {
      name    = "nginx"
      running = true
    }
    file {
      path  = "/etc/nginx/nginx.conf"
      owner = "root"
    }
  }
  provisioner "assert" {
    port { port = 80 }
    file {
      path     = "/etc/motd.d/does-not-exist"
      severity = "warning"
    }
  }

  post-processors {
    post-processor "artifice" {
      files = ["${var.out}/${source.name}.tar.gz"]
    }
    post-processor "assert-attestation" {
      key_file           = var.key_file
      unsigned_statement = true
      url                = "https://ci.example.com/jobs/${source.name}"
    }
  }
}
