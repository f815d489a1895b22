# Forbidden text is a secret: a failure says where it is, never what it is. The command builds
# the password from two halves, so that the template itself (shown as the check's subject) does
# not hold it.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    command {
      run         = "printf 'USER=app\\nPASSWORD=hunte%s\\n' r2"
      description = "as text"
      stdout { not_contains = ["PASSWORD="] }
    }
    command {
      run         = "printf 'USER=app\\nPASSWORD=hunte%s\\n' r2"
      description = "as a pattern"
      stdout { not_matches = ["PASSWORD=.*"] }
    }
    command {
      run         = "printf 'PASSWORD=hunte%s\\n' r2 | tee /dev/stderr"
      description = "on both outputs"
      stdout { not_contains = ["PASSWORD="] }
    }
    file {
      path = "/root/trust-app.env"
      content { not_contains = ["PASSWORD="] }
    }
  }
}
