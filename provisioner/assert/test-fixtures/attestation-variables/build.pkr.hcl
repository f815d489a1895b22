# The review's false refusals: a build named with a variable, built with -only, its sources
# from a local, a manifest post-processor whose only is a local, and another build, with no
# assert, whose sources are a variable. The plugin evaluates what can change which builds and
# components there are, and certifies the artifact.
variable "out" { type = string }
variable "env" {
  type    = string
  default = "dev"
}
variable "extra" {
  type    = list(string)
  default = ["source.null.target"]
}
locals {
  sources = ["source.null.target"]
  ship    = ["null.target"]
}

build {
  name    = "web-${var.env}"
  sources = local.sources

  provisioner "shell" {
    inline = ["tar -czf /tmp/attest-vars.tar.gz -C /etc nginx"]
  }
  provisioner "file" {
    direction   = "download"
    source      = "/tmp/attest-vars.tar.gz"
    destination = "${var.out}/web-${var.env}.tar.gz"
  }
  provisioner "assert" {
    file { path = "/etc/nginx/nginx.conf" }
  }

  post-processors {
    post-processor "artifice" {
      files = ["${var.out}/web-${var.env}.tar.gz"]
    }
    post-processor "manifest" {
      only   = local.ship
      output = "${var.out}/manifest.json"
    }
    post-processor "assert-attestation" {}
  }
}

# another build, which -only leaves out, without this plugin's components
build {
  name    = "other"
  sources = var.extra
  provisioner "shell" {
    inline = ["true"]
  }
}
