package sitetest

import (
	"os"
	"os/exec"
	"testing"
)

// NeedTool returns the path of an external program the test needs. When
// it is missing the test is skipped with how to install it, except under
// CI=true, where it fails: CI must have every tool.
func NeedTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := name + " is not installed (apt-get install -y " + debianPackage + ")"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
