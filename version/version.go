// Package version holds the plugin's version, set at release time by goreleaser.
package version

import "github.com/hashicorp/packer-plugin-sdk/version"

var (
	// Version is the main version number that is being run at the moment.
	Version = "0.1.0"
	// VersionPrerelease marks a build that is not a release, such as "dev". goreleaser clears it.
	VersionPrerelease = "dev"
	// VersionMetadata is metadata appended to the version, such as a build number.
	VersionMetadata = ""
	// PluginVersion is what `packer plugins installed` and `describe` report.
	PluginVersion = version.NewPluginVersion(Version, VersionPrerelease, VersionMetadata)
)
