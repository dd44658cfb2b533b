// META: variant=?a
// META: variant=?b
test(function () { assert_true(location.search === "?a" || location.search === "?b"); }, "variant " + location.search);
