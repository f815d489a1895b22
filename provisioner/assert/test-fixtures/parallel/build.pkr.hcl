# Two builds of one template: packer runs them at the same time, each with its own assert.
source "null" "second" {
  communicator         = "ssh"
  ssh_host             = var.host
  ssh_username         = var.ssh_user
  ssh_private_key_file = var.ssh_key
}

build {
  sources = ["source.null.target", "source.null.second"]
  provisioner "assert" {
    package { name = "nginx" }
    file { path = "/etc/nginx/nginx.conf" }
    command {
      run    = "sleep 1; echo ${source.name}"
      stdout { contains = ["${source.name}"] }
    }
    command {
      run         = "exit 7"
      exit_status = 7
    }
  }
}
