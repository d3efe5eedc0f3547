# Empty dependencies file for lss.
# This may be replaced when dependencies are built.
