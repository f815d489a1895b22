// Command packer-plugin-assert is the Packer plugin whose `assert` provisioner checks the build
// instance before the image is sealed.
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/packer-plugin-sdk/plugin"

	"github.com/assertkit/packer-plugin-assert/provisioner/assert"
	"github.com/assertkit/packer-plugin-assert/version"
)

func main() {
	pps := plugin.NewSet()
	pps.RegisterProvisioner(plugin.DEFAULT_NAME, new(assert.Provisioner))
	pps.SetVersion(version.PluginVersion)
	if err := pps.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err.Error())
		os.Exit(1)
	}
}
