// One Chromium and one app at a time: on a 2-core machine, parallel browsers starve each other into timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
