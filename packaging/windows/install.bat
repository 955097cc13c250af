@echo off
rem Installs PIA Desk for this user (no administrator rights). See install.ps1.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
set RC=%ERRORLEVEL%
pause
exit /b %RC%
