// META: global=dedicatedworker
test(function () {}, "never runs");
