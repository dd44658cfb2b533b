test(function () {}, "first");
throw new Error("top-level failure");
