// Interop peer for MacaroonsTests: go-macaroon (gopkg.in/macaroon.v2, the library Aperture uses)
// behind the JSON protocol of pymacaroons_peer.py, plus "third_party" caveats on mint and a
// "bench" op. Built offline from Debian's golang-gopkg-macaroon.v2-dev:
//   GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o peer go_macaroon_peer.go
package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"time"

	macaroon "gopkg.in/macaroon.v2"
)

type thirdParty struct {
	KeyHex   string `json:"key_hex"`
	IDHex    string `json:"id_hex"`
	Location string `json:"location"`
}

type request struct {
	Op         string       `json:"op"`
	KeyHex     string       `json:"key_hex"`
	IDHex      string       `json:"id_hex"`
	Location   string       `json:"location"`
	CaveatsHex []string     `json:"caveats_hex"`
	ThirdParty []thirdParty `json:"third_party"`
	Version    int          `json:"version"`
	JSON       bool         `json:"json"`
	Token      string       `json:"token"`
	Seconds    float64      `json:"seconds"`
}

type caveat struct {
	IDHex    string  `json:"id_hex"`
	VIDHex   *string `json:"vid_hex"`
	Location *string `json:"location"`
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	must(err)
	return b
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func mint(r request) map[string]any {
	m, err := macaroon.New(unhex(r.KeyHex), unhex(r.IDHex), r.Location, macaroon.Version(r.Version))
	must(err)
	for _, c := range r.CaveatsHex {
		must(m.AddFirstPartyCaveat(unhex(c)))
	}
	for _, t := range r.ThirdParty {
		must(m.AddThirdPartyCaveat(unhex(t.KeyHex), unhex(t.IDHex), t.Location))
	}
	var token string
	if r.JSON {
		data, err := m.MarshalJSON()
		must(err)
		token = string(data)
	} else {
		data, err := m.MarshalBinary()
		must(err)
		token = base64.StdEncoding.EncodeToString(data)
	}
	return map[string]any{"token": token, "signature_hex": hex.EncodeToString(m.Signature())}
}

func decode(r request) (*macaroon.Macaroon, error) {
	var m macaroon.Macaroon
	if r.JSON {
		return &m, m.UnmarshalJSON([]byte(r.Token))
	}
	data, err := macaroon.Base64Decode([]byte(r.Token))
	if err != nil {
		return nil, err
	}
	return &m, m.UnmarshalBinary(data)
}

func accept(string) error { return nil }

func read(r request) map[string]any {
	m, err := decode(r)
	if err != nil {
		return map[string]any{"decode_error": err.Error()}
	}
	verr := m.Verify(unhex(r.KeyHex), accept, nil)
	var errText *string
	if verr != nil {
		s := verr.Error()
		errText = &s
	}
	caveats := []caveat{}
	for _, c := range m.Caveats() {
		out := caveat{IDHex: hex.EncodeToString(c.Id)}
		if len(c.VerificationId) > 0 {
			vid, loc := hex.EncodeToString(c.VerificationId), c.Location
			out.VIDHex, out.Location = &vid, &loc
		}
		caveats = append(caveats, out)
	}
	return map[string]any{
		"valid": verr == nil, "error": errText, "location": m.Location(), "id_hex": hex.EncodeToString(m.Id()),
		"caveats": caveats, "signature_hex": hex.EncodeToString(m.Signature()), "version": int(m.Version()),
	}
}

// bench decodes and verifies the token for about `seconds` and reports operations per second.
func bench(r request) map[string]any {
	key := unhex(r.KeyHex)
	start := time.Now()
	operations := 0
	for time.Since(start).Seconds() < r.Seconds {
		for i := 0; i < 1000; i++ {
			m, err := decode(r)
			must(err)
			must(m.Verify(key, accept, nil))
		}
		operations += 1000
	}
	return map[string]any{"ops_per_second": float64(operations) / time.Since(start).Seconds()}
}

func main() {
	var requests []request
	must(json.NewDecoder(os.Stdin).Decode(&requests))
	answers := []map[string]any{}
	for _, r := range requests {
		switch r.Op {
		case "mint":
			answers = append(answers, mint(r))
		case "read":
			answers = append(answers, read(r))
		case "bench":
			answers = append(answers, bench(r))
		}
	}
	must(json.NewEncoder(os.Stdout).Encode(answers))
}
