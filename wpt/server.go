package wpt

import (
	"strings"

	"github.com/wfetch/wfetch/wpt/server"
)

// UseServer points cfg at a running test server: tests pretend to run at
// http://web-platform.test:<ports.http[0]> (https for .https. tests), and
// .sub. scripts get the server's substitution.
func UseServer(cfg *Config, srv *server.Server) {
	cfg.Host = strings.TrimSuffix(srv.URL("http", 0, "", "/"), "/")
	cfg.HTTPSHost = strings.TrimSuffix(srv.URL("https", 0, "", "/"), "/")
	cfg.Substitute = srv.Substitute
	cfg.server = srv
}
