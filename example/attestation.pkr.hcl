# A certified image: the artifact is signed together with the checks it passed, so that a deploy
# pipeline can verify, without the build log, that this exact artifact passed these exact checks.
#
# As written, this template checks a machine that is already running, over SSH, with Packer's
# null builder, and makes its artifact there: a tarball of /etc/nginx, downloaded by the file
# provisioner and made the build's artifact by the artifice post-processor. Its defaults are the
# test harness's (`test/run.sh example` boots a systemd Debian 12 instance at 10.200.81.2). With a
# real builder (amazon-ebs, qemu, docker, …) the artifact is the builder's own, and the
# post-processors block holds assert-attestation alone.
#
# Make a signing key once, and keep it where only the build can read it:
#
#   openssl genpkey -algorithm ed25519 -out attest.pem
#   openssl pkey -in attest.pem -pubout -out attest.pub.pem    # for the deploy pipeline
#
# then build, and verify the outputs as the deploy pipeline would:
#
#   packer build -var key_file=attest.pem example/attestation.pkr.hcl
#   packer-plugin-assert verify-attestation -key attest.pub.pem \
#     -artifact output/target.tar.gz output/target.tar.gz.intoto.dsse.json
packer {
  required_plugins {
    assert = {
      source  = "github.com/assertkit/assert"
      version = ">= 0.1.0"
    }
  }
}

variable "host" {
  type    = string
  default = "10.200.81.2"
}

variable "ssh_key" {
  type    = string
  default = "/var/cache/packer-plugin-assert/e2e/client_key"
}

variable "key_file" {
  type        = string
  description = "The private key that signs the attestation (PEM or OpenSSH; ed25519, ECDSA P-256 or RSA)."
}

source "null" "target" {
  communicator         = "ssh"
  ssh_host             = var.host
  ssh_username         = "root"
  ssh_private_key_file = var.ssh_key
}

build {
  sources = ["source.null.target"]

  # the artifact, made in the instance and downloaded to output/
  provisioner "shell" {
    inline = ["tar -czf /tmp/image-${source.name}.tar.gz -C /etc nginx"]
  }
  provisioner "file" {
    direction   = "download"
    source      = "/tmp/image-${source.name}.tar.gz"
    destination = "output/${source.name}.tar.gz"
  }
  provisioner "shell" {
    inline = ["rm -f /tmp/image-${source.name}.tar.gz"]
  }

  provisioner "assert" {
    package { name = "nginx" }
    service {
      name    = "nginx"
      enabled = true
      running = true
    }
    port { port = 80 }
    file {
      path  = "/etc/nginx/nginx.conf"
      owner = "root"
      mode  = "0644"
    }
  }

  # one chain: the artifact that artifice registers is the one assert-attestation certifies
  post-processors {
    post-processor "artifice" {
      files = ["output/${source.name}.tar.gz"]
    }
    post-processor "assert-attestation" {
      key_file = var.key_file
      # writes output/target.tar.gz.intoto.dsse.json (signed) and
      # output/target.tar.gz.assert-report.json (the JSON report it names by digest)
    }
  }
}
