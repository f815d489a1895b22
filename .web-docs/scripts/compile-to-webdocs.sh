#!/bin/sh
# Turns the rendered docs (packer-sdc renderdocs output) into the .web-docs folder that the Packer
# integrations portal reads: the plugin's README and one README per component, without the front
# matter the portal does not use.
#
#   compile-to-webdocs.sh ROOT RENDERED WEBDOCS ORG
set -eu
root=$1 rendered=$2 webdocs=$3 org=$4
[ -n "$org" ] || { echo "compile-to-webdocs.sh: no organization given" >&2; exit 2; }
cd "$root"

# strip_front_matter drops a leading "---" … "---" block.
strip_front_matter() {
	awk 'NR == 1 && $0 == "---" { skip = 1; next } skip && $0 == "---" { skip = 0; next } !skip' "$1"
}

rm -rf "$webdocs/components"
cp "$rendered/README.md" "$webdocs/README.md"
for kind in builders provisioners post-processors datasources; do
	[ -d "$rendered/$kind" ] || continue
	case $kind in
	builders) slug=builder ;; provisioners) slug=provisioner ;;
	post-processors) slug=post-processor ;; datasources) slug=data-source ;;
	esac
	for doc in "$rendered/$kind"/*.mdx; do
		name=$(basename "$doc" .mdx)
		mkdir -p "$webdocs/components/$slug/$name"
		strip_front_matter "$doc" >"$webdocs/components/$slug/$name/README.md"
	done
done
