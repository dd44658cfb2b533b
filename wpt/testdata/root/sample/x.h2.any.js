test(function () {}, "never runs");
