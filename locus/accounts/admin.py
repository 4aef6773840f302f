from django.contrib import admin

admin.site.site_header = "Locus administration"
admin.site.site_title = "Locus administration"
admin.site.index_title = "Users, roles and data"
