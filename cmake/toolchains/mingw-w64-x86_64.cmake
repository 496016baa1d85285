# Cross toolchain: Linux host -> 64-bit Windows with mingw-w64 (Debian's
# g++-mingw-w64-x86-64-posix), tests run under wine.
#
#   cmake -S . -B build-windows -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-x86_64.cmake \
#     -DPARLEY_PORTABLE_ONLY=ON -DPARLEY_BOOST_INCLUDE_DIR=<dir holding only boost/>
#
# scripts/test-windows does exactly this and runs ctest. Only the portable core
# (shared/) is meant to build this way: there is no Qt or Poco for the target.
#
# The "-posix" compiler variant uses the winpthreads threading model, which is
# what gives std::thread / std::mutex on mingw; the "-win32" variant lacks them.
# Everything is linked statically (-static: libgcc, libstdc++, winpthread), so
# the .exe files need no DLL next to them, under wine or on a real Windows box.
#
# CMake reads this file several times (once per try_compile); it only sets
# variables, so that is harmless.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(PARLEY_MINGW_TRIPLE x86_64-w64-mingw32)

# Debian installs the variants side by side and points the unsuffixed names at
# one of them through update-alternatives; name the posix one explicitly.
find_program(PARLEY_MINGW_CXX NAMES ${PARLEY_MINGW_TRIPLE}-g++-posix REQUIRED)
find_program(PARLEY_MINGW_CC NAMES ${PARLEY_MINGW_TRIPLE}-gcc-posix ${PARLEY_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${PARLEY_MINGW_CXX})
if(PARLEY_MINGW_CC)
  set(CMAKE_C_COMPILER ${PARLEY_MINGW_CC})
endif()
# CMake derives ar/ranlib/windres from the compiler's name, but not through
# the "-posix" suffix; without these it would silently use the host's tools.
find_program(CMAKE_AR NAMES ${PARLEY_MINGW_TRIPLE}-ar)
find_program(CMAKE_RANLIB NAMES ${PARLEY_MINGW_TRIPLE}-ranlib)
find_program(CMAKE_RC_COMPILER NAMES ${PARLEY_MINGW_TRIPLE}-windres)

# Headers, libraries and CMake packages come from the mingw sysroot only, never
# from the Linux host (/usr/include, /usr/lib); programs are host programs.
set(CMAKE_FIND_ROOT_PATH /usr/${PARLEY_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")

# ctest (and add_custom_command on a target) run the .exe files through wine.
# Debian's wine64 package installs /usr/lib/wine/wine64 and puts "wine64" on
# PATH only with the "wine" package; accept either. The caller controls the
# prefix (WINEPREFIX, WINEDEBUG...) through the environment.
find_program(PARLEY_WINE NAMES wine64 wine PATHS /usr/lib/wine /usr/lib64/wine /opt/wine-stable/bin)
if(PARLEY_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PARLEY_WINE})
else()
  message(WARNING "wine64 not found: the Windows test executables build but ctest cannot run them")
endif()
