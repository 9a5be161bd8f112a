"""Messaging (SMS and MMS): the rules of a text message that hold whoever owns it.

Owns how carriers count a message (`segments`: GSM-7 or UCS-2, segments and the
characters left) and what a recipient's reply means (`opt_out`: STOP, START and HELP
keywords as Twilio reads them) with Twilio's delivery errors in words. Who may send from
which number, threads and storage come with tenancy and are not here yet.
"""
