@echo off
rem Removes PIA Desk for this user; project files are kept. See uninstall.ps1.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0uninstall.ps1" %*
set RC=%ERRORLEVEL%
pause
exit /b %RC%
