# A report file that cannot be written: its folder is a file. TestAccUnwritableReport.
variable "out" { type = string }

build {
  sources = ["source.null.target"]
  provisioner "assert" {
    report {
      format = "json"
      path   = "${var.out}/a-file/assert.json"
    }
    report {
      format = "text"
      path   = "${var.out}/assert.txt"
    }
    package { name = "nginx" }
  }
}
