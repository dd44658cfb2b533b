// A window-only test: the runner does not run .window.js files.
test(function () {}, "never run");
