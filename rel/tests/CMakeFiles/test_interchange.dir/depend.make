# Empty dependencies file for test_interchange.
# This may be replaced when dependencies are built.
