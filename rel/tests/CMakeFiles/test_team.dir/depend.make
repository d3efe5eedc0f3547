# Empty dependencies file for test_team.
# This may be replaced when dependencies are built.
