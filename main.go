// Command packer-plugin-assert is the Packer plugin whose `assert` provisioner checks the build
// instance before the image is sealed, and whose `assert-attestation` post-processor certifies
// the artifact that passed those checks. Run as `packer-plugin-assert verify-attestation …`, it
// verifies such a certificate, for a deploy pipeline.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/hashicorp/packer-plugin-sdk/plugin"

	"github.com/assertkit/packer-plugin-assert/internal/attest"
	"github.com/assertkit/packer-plugin-assert/postprocessor/attestation"
	"github.com/assertkit/packer-plugin-assert/provisioner/assert"
	"github.com/assertkit/packer-plugin-assert/version"
)

func main() {
	// Packer starts the plugin with `describe` or `start …`: this name is never one of its own
	if len(os.Args) > 1 && os.Args[1] == attest.CommandName {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		status := attest.Command(ctx, os.Args[2:], os.Stdout, os.Stderr)
		stop()
		os.Exit(status)
	}
	pps := plugin.NewSet()
	pps.RegisterProvisioner(plugin.DEFAULT_NAME, new(assert.Provisioner))
	pps.RegisterPostProcessor("attestation", new(attestation.PostProcessor))
	pps.SetVersion(version.PluginVersion)
	if err := pps.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err.Error())
		os.Exit(1)
	}
}
