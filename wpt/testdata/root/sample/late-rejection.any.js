// All subtests are synchronous; a promise rejected with no handler is
// reported after the harness (shell environment) completed. A browser's
// harness waits for load, sees it, and reports ERROR.
test(function () {}, "synchronous");
Promise.reject(new Error("nobody handles this"));
