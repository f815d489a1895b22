# The differential test against goss v0.4.9 (TestAccGossDiff, goss_diff_acceptance_test.go): the
# corpus's gossfiles, with the vars and inline vars the harness also gives goss, reported in JSON.
# The build goes on whatever the verdicts (continue_on_failure): the test compares them.
variable "goss_files" { type = list(string) }
variable "report" { type = string }

build {
  sources = ["source.null.target"]
  provisioner "assert" {
    goss_files = var.goss_files
    goss_vars  = "vars/vars.yaml"
    goss_vars_inline = {
      overridden  = "from the inline vars"
      inline_only = "inline"
    }
    continue_on_failure = true
    report {
      format = "json"
      path   = var.report
    }
  }
}
