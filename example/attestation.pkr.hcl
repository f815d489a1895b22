# A certified image: the artifact is signed together with the checks it passed, so that a deploy
# pipeline can verify, without the build log, that this exact artifact passed these exact checks.
#
# The attestation covers the instance as the assert provisioner saw it: assert is the last
# provisioner, and the artifact is made after it. With a real builder (amazon-ebs, qemu,
# docker, …) the builder makes the artifact after the last provisioner, and the post-processors
# block holds assert-attestation alone. As written, this template checks a machine that is
# already running, over SSH, with Packer's null builder, which makes no artifact: a shell-local
# post-processor stands in for the builder's export (a tarball of /etc/nginx, fetched over SSH
# once every provisioner has run) and artifice makes it the build's artifact. Its defaults are the
# test harness's (`test/run.sh e2e` boots a systemd Debian 12 instance at 10.200.81.2).
#
# Make a signing key once, and keep it where only the build can read it:
#
#   openssl genpkey -algorithm ed25519 -out attest.pem && chmod 600 attest.pem
#   openssl pkey -in attest.pem -pubout -out attest.pub.pem    # for the deploy pipeline
#
# then build, and verify the outputs as the deploy pipeline would, with the plugin's binary
# (`packer plugins installed` prints where it is):
#
#   packer build -var key_file=attest.pem example/attestation.pkr.hcl
#   PLUGIN=$(packer plugins installed | grep assertkit/assert | head -n 1)
#   "$PLUGIN" verify-attestation -key attest.pub.pem \
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

  # ... the provisioners that configure the image come first ...

  # the last provisioner: what it checks is what the image is
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
    # stands in for a real builder's export, made after every provisioner
    post-processor "shell-local" {
      inline = [
        "mkdir -p output",
        "ssh -i '${var.ssh_key}' -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@${var.host} tar -czf - -C /etc nginx > output/${source.name}.tar.gz",
      ]
    }
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
