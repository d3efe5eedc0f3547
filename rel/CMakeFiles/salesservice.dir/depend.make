# Empty dependencies file for salesservice.
# This may be replaced when dependencies are built.
