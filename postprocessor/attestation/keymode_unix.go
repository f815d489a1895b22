//go:build unix

package attestation

import (
	"fmt"
	"os"
)

// shared says whether users other than the key file's owner may read it.
func shared(name string) error {
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&0o044 != 0 {
		return fmt.Errorf("its mode is %04o, so other users may read the private key: chmod 600 it", perm)
	}
	return nil
}
