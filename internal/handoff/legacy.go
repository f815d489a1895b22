package handoff

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// A legacy JSON template (packer v1.14.3, template/template.go) names each build after its
// builder: the source is built once, and Packer prepares its provisioners (those whose only
// and except keep the builder), then the error-cleanup-provisioner, which every build has, then
// the post-processors (packer/core.go Build, packer/build.go Prepare).
type legacyTemplate struct {
	Provisioners []legacyProvisioner `json:"provisioners"`
	Cleanup      *legacyProvisioner  `json:"error-cleanup-provisioner"`
}

type legacyProvisioner struct {
	Type      string   `json:"type"`
	Only      []string `json:"only"`
	Except    []string `json:"except"`
	Direction string   `json:"direction"`
}

// skips is template.OnlyExcept.Skip: only, when given, lists the builds it runs for; else
// except lists those it skips.
func (p legacyProvisioner) skips(build string) bool {
	if len(p.Only) > 0 {
		return !slices.Contains(p.Only, build)
	}
	return slices.Contains(p.Except, build)
}

// legacyPlan reads the legacy JSON template and returns, for the build named build, how many
// assert provisioners Packer prepares, whether it prepares an assert error-cleanup-provisioner
// (after them, before the post-processors; it runs only when the build fails, so it checks
// nothing the artifact is made of), and the provisioners after the last assert one that may
// change the instance.
func legacyPlan(template, build, provType string) (provisioners int, cleanup bool, after []string, err error) {
	b, err := os.ReadFile(template)
	if err != nil {
		return 0, false, nil, err
	}
	var t legacyTemplate
	if err := json.Unmarshal(b, &t); err != nil {
		return 0, false, nil, fmt.Errorf("the legacy JSON template %s cannot be read: %w", template, err)
	}
	for _, p := range t.Provisioners {
		if p.skips(build) {
			continue
		}
		if p.Type == provType {
			provisioners++
			after = nil
			continue
		}
		if p.Type == "file" && p.Direction == "download" {
			continue
		}
		after = append(after, p.Type)
	}
	return provisioners, t.Cleanup != nil && t.Cleanup.Type == provType, after, nil
}
