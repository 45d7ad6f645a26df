"""Running crawls: the ``aggregator`` command line, subscriptions, the scheduler and the run summary."""
