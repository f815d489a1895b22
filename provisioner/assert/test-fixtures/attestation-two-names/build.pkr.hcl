# The review's scenario A: one build block builds one source under two names, "hardened" and
# "debug"; only "hardened" is checked, and both go through the same post-processor chain. Packer
# tells the plugin the same source (null.target) for both builds. "debug" must not be certified
# with hardened's results, however the two builds interleave (debug's first provisioner sleeps,
# so that hardened's results are there when debug's post-processor runs).
variable "out" { type = string }

build {
  source "null.target" { name = "hardened" }
  source "null.target" { name = "debug" }

  provisioner "shell" {
    only   = ["null.debug"]
    inline = ["sleep 3"]
  }
  provisioner "assert" {
    only = ["null.hardened"]
    file {
      path  = "/etc/nginx/nginx.conf"
      owner = "root"
    }
  }

  post-processors {
    post-processor "shell-local" {
      inline = ["echo ${source.name} > ${var.out}/${source.name}.img"]
    }
    post-processor "artifice" {
      files = ["${var.out}/${source.name}.img"]
    }
    post-processor "assert-attestation" {}
  }
}
