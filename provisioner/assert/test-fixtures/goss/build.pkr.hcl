# TestAccGossFile (goss_acceptance_test.go): a gossfile suite run by assert beside a check block,
# with a vars file, inline vars (which replace the file's of the same name) and the environment
# of the machine that runs Packer. Paths are relative to the folder Packer runs in (this one).
variable "goss_files" {
  type    = list(string)
  default = ["suite/web.yaml"]
}
variable "report" {
  type    = string
  default = "goss-report.json"
}

build {
  sources = ["source.null.target"]
  provisioner "assert" {
    goss_files = var.goss_files
    goss_vars  = "vars.yaml"
    goss_vars_inline = {
      port     = "80"
      greeting = "from the inline vars"
    }
    file {
      path        = "/etc/hostname"
      description = "a check block beside the gossfiles"
    }
    report {
      format = "json"
      path   = var.report
    }
  }
  provisioner "shell-local" {
    inline = ["echo after-assert-ran"]
  }
}
