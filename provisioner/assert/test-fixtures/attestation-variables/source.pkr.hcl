# The build instance of the end-to-end tests: the systemd Debian 12 target of test/targets.sh.
variable "host" { type = string }
variable "ssh_key" { type = string }
variable "ssh_user" {
  type    = string
  default = "root"
}
variable "ssh_pty" {
  type    = bool
  default = false
}

source "null" "target" {
  communicator         = "ssh"
  ssh_host             = var.host
  ssh_username         = var.ssh_user
  ssh_private_key_file = var.ssh_key
  ssh_pty              = var.ssh_pty
}
