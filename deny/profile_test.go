package deny

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestProfile(t *testing.T) {
	for _, tt := range []struct {
		goarch string
		archs  []string
	}{
		{"amd64", []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
		{"arm64", []string{"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}},
	} {
		abis, err := ABIsFor(tt.goarch)
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewProfile(abis).JSON()
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			DefaultAction string   `json:"defaultAction"`
			Architectures []string `json:"architectures"`
			Syscalls      []struct {
				Names    []string `json:"names"`
				Action   string   `json:"action"`
				ErrnoRet int      `json:"errnoRet"`
			} `json:"syscalls"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: invalid JSON: %v\n%s", tt.goarch, err, b)
		}
		if got.DefaultAction != "SCMP_ACT_ALLOW" || !slices.Equal(got.Architectures, tt.archs) {
			t.Errorf("%s: defaultAction %q architectures %v, want SCMP_ACT_ALLOW %v", tt.goarch, got.DefaultAction, got.Architectures, tt.archs)
		}
		if len(got.Syscalls) != 1 || got.Syscalls[0].Action != "SCMP_ACT_ERRNO" || got.Syscalls[0].ErrnoRet != 1 ||
			!slices.Equal(got.Syscalls[0].Names, DeniedSyscalls()) {
			t.Errorf("%s: syscalls %+v", tt.goarch, got.Syscalls)
		}
	}
}
