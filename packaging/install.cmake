# What `cmake --install` and the .deb (packaging/package.sh, CPack) put where: both programs,
# the desktop entry, the AppStream metainfo, the icon in the hicolor theme, the Python module
# for exported models, and the man page of latentlab-cli (made by help2man from its --help,
# when help2man is installed).
include(GNUInstallDirs)

set(latentlab_app_id io.github.latentlab.LatentLab)
install(TARGETS latentlab-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/resources/python/latentlab_models.py
        DESTINATION ${CMAKE_INSTALL_DATADIR}/latentlab/python)
if(LATENTLAB_WITH_QT)
    install(TARGETS latentlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    install(FILES ${PROJECT_SOURCE_DIR}/resources/${latentlab_app_id}.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/${latentlab_app_id}.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/latentlab.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
            RENAME ${latentlab_app_id}.svg)
    foreach(size 16 32 48 64 128 256)
        install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/latentlab-${size}.png
                DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
                RENAME ${latentlab_app_id}.png)
    endforeach()
endif()

find_program(LATENTLAB_HELP2MAN help2man)
if(LATENTLAB_HELP2MAN)
    set(man ${CMAKE_BINARY_DIR}/man/latentlab-cli.1.gz)
    add_custom_command(
        OUTPUT ${man}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
        COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:latentlab-cli> -DHELP2MAN=${LATENTLAB_HELP2MAN}
                -DOUT=${man} -P ${PROJECT_SOURCE_DIR}/packaging/manpage.cmake
        DEPENDS latentlab-cli ${PROJECT_SOURCE_DIR}/packaging/manpage.cmake
        COMMENT "Man page of latentlab-cli (help2man)")
    add_custom_target(latentlab-man ALL DEPENDS ${man})
    install(FILES ${man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

# The .deb: run-time dependencies from the binaries (dpkg-shlibdeps), plus the fast BLAS that
# LibTorch loads through libblas.so.3 (without it, about 18 times slower).
set(CPACK_PACKAGE_NAME latentlab)
set(CPACK_PACKAGE_VENDOR "LatentLab")
set(CPACK_PACKAGE_CONTACT "LatentLab maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Train autoencoders and explore their latent space")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread | libopenblas0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-torch")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
include(CPack)
