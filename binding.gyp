{
  "variables": {
    "have_dnnl%": "<!(sh -c 'test -f /usr/include/oneapi/dnnl/dnnl.hpp && echo 1 || echo 0')"
  },
  "targets": [{
    "target_name": "a8w8_ref",
    "sources": [
      "native/src/addon.cc",
      "native/src/batch.cc",
      "native/src/bench_probes.cc",
      "native/src/casts.cc",
      "native/src/compare_napi.cc",
      "native/src/compare_run.cc",
      "native/src/cpu_features.cc",
      "native/src/engine.cc",
      "native/src/epilogue.cc",
      "native/src/epilogue_args.cc",
      "native/src/epilogue_avx2.cc",
      "native/src/gemm_avx2.cc",
      "native/src/gemm_avx2_few.cc",
      "native/src/gemm_avx2_many.cc",
      "native/src/gemm_epilogue.cc",
      "native/src/gemm_portable.cc",
      "native/src/gemm_scalar.cc",
      "native/src/gemm_vnni.cc",
      "native/src/generate.cc",
      "native/src/generate_napi.cc",
      "native/src/napi_args.cc",
      "native/src/onednn_engine.cc",
      "native/src/prepared.cc",
      "native/src/quant_param.cc",
      "native/src/thread_pool.cc"
    ],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/src"],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
    "cflags_cc": ["-O3", "-std=c++17", "-fexceptions", "-fvisibility=hidden", "-ffp-contract=off", "-Wall", "-Wextra", "-Wno-unused-parameter"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
    "conditions": [["have_dnnl==1", { "defines": ["A8W8_HAVE_DNNL=1"], "cflags_cc": ["-fopenmp"], "libraries": ["-ldnnl", "-lgomp"] }]]
  }]
}
