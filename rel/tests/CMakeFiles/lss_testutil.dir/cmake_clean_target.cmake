file(REMOVE_RECURSE
  "liblss_testutil.a"
)
