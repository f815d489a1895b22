# For full specification on the configuration of this file visit:
# https://github.com/hashicorp/integration-template#metadata-configuration
integration {
  name = "Assert"
  description = "Checks files, packages, services, ports, users and commands in the build instance, and fails the build when the image is wrong."
  identifier = "packer/assertkit/assert"
  component {
    type = "provisioner"
    name = "Assert"
    slug = "assert"
  }
}
