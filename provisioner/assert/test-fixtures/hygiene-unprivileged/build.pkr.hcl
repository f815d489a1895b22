# hygiene {} as alice, who is not root and has no sudo: what she may not look at is an error,
# never a pass.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    hygiene {}
  }
}
