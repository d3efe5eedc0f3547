# Empty dependencies file for test_customer.
# This may be replaced when dependencies are built.
