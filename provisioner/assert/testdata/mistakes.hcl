# The body of an assert provisioner with the mistakes a new user makes, one or more a block.
# TestValidateMessagesGolden prepares it as packer does and compares every problem with
# mistakes.golden (go test -run TestValidateMessagesGolden ./provisioner/assert -update).
check_timeout = "30"
retries       = 2.5
retry_delay   = "5 s"

package {
  name    = "nginx"
  version = ">= 1.22,"
}
package {
  name    = "nginx"
  version = ","
}
package {
  name    = "nginx"
  version = "=> 1.22"
}
package {
  name    = "nginx"
  version = ">>= 1"
}
package {
  name    = "nginx"
  version = "^1.22"
}
package {
  name    = "nginx"
  version = ">= 1.22.*"
}
package {
  name    = "nginx"
  version = ">= 1.22 < 2"
}
package {
  name    = "nginx"
  version = "latest"
}
package {
  name      = "telnetd"
  installed = false
  version   = "1.0"
}
port { port = 99999 }
port { port = 80.5 }
port { protocol = "tcp" }
port {
  port    = 80
  address = "localhost"
}
file {
  path = "etc/nginx/nginx.conf"
  mode = "644x"
}
file {
  path   = "/etc/x"
  exists = false
  owner  = "root"
}
service { name = "nginx.service; reboot" }
service {
  name     = "chrony"
  severity = "warn"
}
user {
  name   = "bob"
  exists = false
  uid    = 1000
}
command {
  run     = "curl -sI localhost"
  timeout = "10"
  stdout { matches = ["^Server: nginx$", "(unclosed"] }
}
command {
  run         = ""
  exit_status = 256
}
