# Empty dependencies file for lss_testutil.
# This may be replaced when dependencies are built.
