{
  "variables": {
    "have_dnnl%": "<!(sh -c 'test -f /usr/include/oneapi/dnnl/dnnl.hpp && echo 1 || echo 0')"
  },
  "targets": [{
    "target_name": "a8w8_ref",
    "sources": ["native/src/addon.cc"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/src"],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
    "cflags_cc": ["-O3", "-std=c++17", "-fexceptions", "-fvisibility=hidden"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
    "conditions": [["have_dnnl==1", { "defines": ["A8W8_HAVE_DNNL=1"], "libraries": ["-ldnnl"] }]]
  }]
}
