# Empty dependencies file for test_metrics_service.
# This may be replaced when dependencies are built.
