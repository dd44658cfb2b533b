package body

import "encoding/json"

// JSON returns a Blob of v encoded as JSON (encoding/json) with type
// application/json, for a request body: Extract gives it a
// "Content-Type: application/json" header and a length, and it can be sent
// again on a redirect or a retry. It is a Go helper, the request side of
// Response.json():
//
//	b, err := body.JSON(map[string]any{"name": "ada"})
//	resp, err := fetch.Fetch(ctx, url, &request.Init{Method: new("POST"), Body: b})
func JSON(v any) (*Blob, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return newBlob(data, "application/json"), nil
}
