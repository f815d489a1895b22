# For full specification on the configuration of this file visit:
# https://github.com/hashicorp/integration-template#metadata-configuration
integration {
  name = "Assert"
  description = "Checks files, packages, services, ports, users and commands in the build instance, fails the build when the image is wrong, and certifies the artifact that passed."
  identifier = "packer/assertkit/assert"
  component {
    type = "provisioner"
    name = "Assert"
    slug = "assert"
  }
  component {
    type = "post-processor"
    name = "Assert Attestation"
    slug = "assert-attestation"
  }
}
