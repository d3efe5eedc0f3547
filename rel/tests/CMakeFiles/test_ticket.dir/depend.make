# Empty dependencies file for test_ticket.
# This may be replaced when dependencies are built.
